<?php
class Sorter { function byDate($a, $b) { return strcmp($a['d'], $b['d']); } }
usort($rows, array(new Sorter(), 'byDate'));
$o = new ArrayObject($rows);
$o->uasort(array(new Sorter(), 'byDate'));
