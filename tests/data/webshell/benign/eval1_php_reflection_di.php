<?php
// A tiny dependency-injection container built on reflection.
function make($class) {
    $r = new ReflectionClass($class);
    $ctor = $r->getConstructor();
    $args = array();
    if ($ctor) foreach ($ctor->getParameters() as $p) { $args[] = make($p->getType()->getName()); }
    return $r->newInstanceArgs($args);
}
