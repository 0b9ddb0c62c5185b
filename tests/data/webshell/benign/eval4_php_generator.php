<?php
function lines($f) { $h = fopen($f, 'r'); while (($l = fgets($h)) !== false) yield trim($l); }
foreach (lines(__DIR__ . '/data/list.txt') as $l) echo htmlspecialchars($l), "<br>";
