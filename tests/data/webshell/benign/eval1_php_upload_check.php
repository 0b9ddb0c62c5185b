<?php
// Accepts image uploads only; the name is regenerated.
if (!empty($_FILES['img']) && $_FILES['img']['error'] === UPLOAD_ERR_OK) {
    $info = getimagesize($_FILES['img']['tmp_name']);
    if ($info === false) { die('not an image'); }
    $name = bin2hex(random_bytes(8)) . image_type_to_extension($info[2]);
    move_uploaded_file($_FILES['img']['tmp_name'], __DIR__ . '/uploads/' . $name);
}
