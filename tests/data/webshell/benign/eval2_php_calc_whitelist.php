<?php
// Unit converter: a factor table, no eval.
$factors = array('km' => 1000, 'm' => 1, 'cm' => 0.01);
$from = $_GET['from'] ?? 'm';
$value = (float) ($_GET['v'] ?? 0);
printf('%.2f m', $value * ($factors[$from] ?? 1));
