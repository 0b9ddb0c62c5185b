<?php
// Sorts a table by a column the visitor picks; the comparator is ours.
$col = in_array($_GET['sort'] ?? '', array('title', 'date'), true) ? $_GET['sort'] : 'date';
usort($rows, function ($a, $b) use ($col) { return strcmp($a[$col], $b[$col]); });
array_walk($rows, function (&$r) { $r['title'] = htmlspecialchars($r['title']); });
