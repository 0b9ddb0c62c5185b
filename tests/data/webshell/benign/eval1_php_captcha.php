<?php
session_start();
$code = substr(str_shuffle('ABCDEFGHJKLMNPQRSTUVWXYZ23456789'), 0, 5);
$_SESSION['captcha'] = $code;
$im = imagecreatetruecolor(90, 30);
imagestring($im, 5, 10, 8, $code, imagecolorallocate($im, 255, 255, 255));
header('Content-Type: image/png');
imagepng($im);
