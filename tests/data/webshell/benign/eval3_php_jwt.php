<?php
// Reads the claims of a JWT (signature checked elsewhere).
list($h, $p, $s) = explode('.', $_COOKIE['token'] ?? '..');
$claims = json_decode(base64_decode(strtr($p, '-_', '+/')), true);
echo htmlspecialchars($claims['sub'] ?? 'guest');
