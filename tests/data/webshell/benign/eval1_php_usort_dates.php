<?php
$items = array(array('d' => '2026-01-02'), array('d' => '2025-12-31'));
usort($items, function ($a, $b) { return strcmp($a['d'], $b['d']); });
$names = array_map('strtoupper', array('a', 'b'));
echo json_encode(array($items, $names));
