<?php
// Collects @route annotations from controller methods.
$r = new ReflectionClass('NewsController');
foreach ($r->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
    if (preg_match('/@route\s+(\S+)/', (string) $m->getDocComment(), $mm)) $routes[$mm[1]] = $m->getName();
}
