<?php
class TrimInput { function __invoke($req) { return array_map('trim', $req); } }
$mw = new TrimInput();
$clean = $mw($_POST);
echo htmlspecialchars($clean['name'] ?? '');
