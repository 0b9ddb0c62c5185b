<?php
class Format { static function money($v) { return number_format($v, 2); } }
$cols = array('price' => 'Format::money', 'name' => 'htmlspecialchars');
foreach ($row as $c => $v) echo call_user_func($cols[$c] ?? 'strval', $v);
