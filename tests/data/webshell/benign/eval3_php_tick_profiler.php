<?php
// Development profiler: counts ticks (fixed callback).
declare(ticks=100);
$ticks = 0;
register_tick_function(function () use (&$ticks) { $ticks++; });
