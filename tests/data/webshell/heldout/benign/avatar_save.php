<?php
/**
 * Avatar upload. Accepts JPEG/PNG only, re-encodes the image with GD and
 * stores it under a random name outside the web root.
 */
session_start();
if (empty($_SESSION['uid'])) { http_response_code(403); exit; }
if (!isset($_FILES['avatar']) || $_FILES['avatar']['error'] !== UPLOAD_ERR_OK) {
    exit('no file');
}
if ($_FILES['avatar']['size'] > 2 * 1024 * 1024) { exit('too large'); }
$info = @getimagesize($_FILES['avatar']['tmp_name']);
$allowed = array(IMAGETYPE_JPEG => 'jpg', IMAGETYPE_PNG => 'png');
if ($info === false || !isset($allowed[$info[2]])) { exit('bad type'); }
$img = $info[2] === IMAGETYPE_JPEG ? imagecreatefromjpeg($_FILES['avatar']['tmp_name'])
                                   : imagecreatefrompng($_FILES['avatar']['tmp_name']);
$name = bin2hex(random_bytes(16)) . '.jpg';
$dir = '/var/lib/site/avatars/' . (int)$_SESSION['uid'];
if (!is_dir($dir)) { mkdir($dir, 0750, true); }
imagejpeg($img, $dir . '/' . $name, 85);
imagedestroy($img);
echo json_encode(array('ok' => true, 'name' => $name));
