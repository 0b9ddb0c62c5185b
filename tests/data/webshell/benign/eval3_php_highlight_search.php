<?php
// Highlights search words in a text.
$q = preg_quote($_GET['q'] ?? '', '/');
echo preg_replace_callback('/(' . $q . ')/i', function ($m) { return '<mark>' . htmlspecialchars($m[1]) . '</mark>'; }, htmlspecialchars($text));
