<?php
// A middleware pipeline of closures built in code.
$pipeline = array_reduce(array_reverse($middleware), function ($next, $mw) {
    return function ($req) use ($next, $mw) { return $mw($req, $next); };
}, function ($req) { return 'done'; });
echo $pipeline($_SERVER);
