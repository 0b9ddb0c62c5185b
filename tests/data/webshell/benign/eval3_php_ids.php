<?php
$ids = array_filter(array_map('intval', (array) ($_POST['ids'] ?? array())));
usort($ids, function ($a, $b) { return $a <=> $b; });
echo implode(',', $ids);
