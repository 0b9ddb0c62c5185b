<?php
// Evaluates a stored formula from the site configuration (not from the request).
$config = array('tax' => '0.06');
$formula = 'return ' . floatval($config['tax']) . ' * 100;';
$percent = eval($formula);
printf("Tax: %.1f%%", $percent);
